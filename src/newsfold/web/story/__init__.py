"""The story page, read top to bottom: `view` (its value, the document that is its JSON twin, and its two JSON
parts), `differences` (how the copies differ), `related` ("You may like"), `translated` (what of it the reader's
language adds beyond cards), `parts` (the costly parts stored when the story changes), `stored` (the page rendered
ahead by the story hook and served while current) and `routes` (its URLs)."""
