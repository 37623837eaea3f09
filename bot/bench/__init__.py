"""`make bench`: how well and how fast the assistant works, written to BENCHMARKS.md.

`understanding`: cross-validated intent F1 per language, ours against Rasa's stock pipeline on the
same folds; `load` + `speed`: latency and throughput over REST, growth with the conversation's length
and the number of stored conversations, peak memory; `cluster`: throughput of the several-instance
stack with one and two Rasa instances; `report`: BENCHMARKS.md and docs/bench/*.png.
"""
