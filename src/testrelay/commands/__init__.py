"""One module per subcommand: add_parser(subparsers) registers it, with `handler` set to its run()."""
