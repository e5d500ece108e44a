from dockerfix.cli.main import entry

entry()
