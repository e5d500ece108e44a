from dockerfix.cli import entry

entry()
