# The two set-up commands of the README. Each installs what it needs first.
.PHONY: build test

build:
	bash scripts/setup.sh
	python3 build.py

test:
	bash scripts/setup.sh --test
	python3 -m pytest
