"""The build engine: each document's cache key, the cache, and the executors that render the
plan. What an output is (its path, format and phase) it learns from policyc.outputs, beneath it."""
