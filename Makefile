# Shortcuts for those who have make; dev.sh holds the logic and needs only bash and Python.
.PHONY: demo test bench clean

demo:
	bash dev.sh demo

test:
	bash dev.sh test

bench:
	bash dev.sh bench

clean:
	rm -rf .venv .mypy_cache .ruff_cache .pytest_cache test-output
