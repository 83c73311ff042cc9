"""The build engine: the plan of every output, and the executors that render it."""
