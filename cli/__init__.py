"""The command line: one parser table (cli/commands.py) and a handler module per family of commands.

Layer: cli → tools → ui → services → models (pyproject.toml). Importing a handler module loads no SQLAlchemy, Qt
or service: each handler imports what it runs when it runs, so ``python main.py`` opens its window as fast
without the command line as with it (bench/bench_startup.py).
"""
