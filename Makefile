.PHONY: run test bench mutate

run:  ## set up everything and serve the judge on http://127.0.0.1:8000
	bash scripts/run.sh

test:  ## install test dependencies and run the whole suite
	bash scripts/test.sh

bench:  ## print sandbox, pipeline and scoreboard figures
	bash scripts/bench.sh

mutate:  ## mutation score of the judging core (slow; not part of make test)
	bash scripts/mutate.sh
