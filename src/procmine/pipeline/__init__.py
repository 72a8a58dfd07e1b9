"""End-to-end runs of each command: read inputs, analyse, build the Report, write output files.
One module per command. Never prints to stdout; progress goes through procmine.progress."""
