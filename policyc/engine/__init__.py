"""The build engine: the table of formats, where each output goes (layout), the plan of every
output, its cache keys, and the executors that render it."""
