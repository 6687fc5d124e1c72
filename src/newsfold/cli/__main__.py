"""`python -m newsfold.cli`: the same as the `newsfold` command."""

from newsfold.cli import main

main()
