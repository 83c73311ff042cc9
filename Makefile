# The two set-up commands of the README. Each installs what it needs first.
.PHONY: build test test-fast

build:
	bash scripts/setup.sh
	python3 build.py

test:
	bash scripts/setup.sh --test
	python3 -m pytest

# The fast tier, for development: everything but the tests marked slow.
test-fast:
	python3 -m pytest -m "not slow"
