"""What a build writes, before anything is written: the table of formats, where each output
goes and how one links another (layout), and the plan of every output, each in its phase
(assets, document, site). It knows nothing of keys, caches or executors (policyc.engine,
above it)."""
