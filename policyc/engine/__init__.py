"""The build engine: the table of formats, the plan of every output, its cache keys, and
the executors that render it."""
