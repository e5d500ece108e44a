"""pip's real command-line option table for ``pip install``: every option, its spellings,
whether it takes a value. ``pip_command_line`` reads argv with it as optparse does.

The table matches pip 26.3: it was derived from ``pip/_internal/cli/cmdoptions.py``
(``general_group``, ``index_group``, ``package_selection_group``, ``version``),
``pip/_internal/cli/main_parser.py`` and ``pip/_internal/commands/install.py``.
``tests/test_pip_options.py`` has a drift test that rebuilds pip's own parser and fails,
naming the options, when the installed pip differs from this table.

Why not import pip at run time: the pip that runs inside the image is not the one next to
dockerfix (if any), and importing ``pip._internal`` is unsupported and slow. The table is data.
"""

from __future__ import annotations

from typing import NamedTuple

PIP_VERSION: str = "26.3"


class Option(NamedTuple):
    """One optparse option: every spelling pip accepts, and whether it consumes a value.

    ``dest`` is pip's own ``dest``. Beware: pip shares dests between opposite options
    (``--cache-dir DIR`` and ``--no-cache-dir`` both have ``cache_dir``; ``--user`` and
    ``--no-user``; ``--compile`` and ``--no-compile``; ``--no-binary`` and ``--only-binary``).
    """

    long: tuple[str, ...]
    short: tuple[str, ...]
    takes_value: bool
    dest: str


# pip's general_group, in pip's order. These are accepted before the subcommand (by the main
# parser) and after it (every command parser includes them).
GENERAL_OPTIONS: tuple[Option, ...] = (
    Option(("--help",), ("-h",), False, "help"),
    Option(("--debug",), (), False, "debug_mode"),
    Option(("--isolated",), (), False, "isolated_mode"),
    Option(("--require-virtualenv", "--require-venv"), (), False, "require_venv"),
    Option(("--python",), (), True, "python"),
    Option(("--verbose",), ("-v",), False, "verbose"),  # action=count: -vvv
    Option(("--quiet",), ("-q",), False, "quiet"),  # action=count: -qq
    Option(("--log", "--log-file", "--local-log"), (), True, "log"),
    Option(("--no-input",), (), False, "no_input"),
    Option(("--keyring-provider",), (), True, "keyring_provider"),
    Option(("--proxy",), (), True, "proxy"),
    Option(("--no-proxy-env",), (), False, "no_proxy_env"),
    Option(("--retries",), (), True, "retries"),
    Option(("--timeout", "--default-timeout"), (), True, "timeout"),
    Option(("--exists-action",), (), True, "exists_action"),
    Option(("--trusted-host",), (), True, "trusted_hosts"),
    Option(("--cert",), (), True, "cert"),
    Option(("--client-cert",), (), True, "client_cert"),
    Option(("--cache-dir",), (), True, "cache_dir"),
    # A callback without a type: takes no value, so `--no-cache-dir=1` is a pip error.
    Option(("--no-cache-dir",), (), False, "cache_dir"),
    Option(("--disable-pip-version-check",), (), False, "disable_pip_version_check"),
    Option(("--no-color",), (), False, "no_color"),
    Option(("--no-python-version-warning",), (), False, "no_python_version_warning"),
    Option(("--use-feature",), (), True, "features_enabled"),
    Option(("--use-deprecated",), (), True, "deprecated_features_enabled"),
    Option(("--resume-retries",), (), True, "resume_retries"),
)

# Only the main parser (before the subcommand) knows -V/--version; command parsers do not,
# so it is kept out of GENERAL_OPTIONS (the drift test compares install's parser).
MAIN_ONLY_OPTIONS: tuple[Option, ...] = (Option(("--version",), ("-V",), False, "version"),)

# install.py's cmd_opts, then index_group and package_selection_group, in pip's order.
INSTALL_OPTIONS: tuple[Option, ...] = (
    Option(("--requirement",), ("-r",), True, "requirements"),
    Option(("--constraint",), ("-c",), True, "constraints"),
    Option(("--build-constraint",), (), True, "build_constraints"),
    Option(("--requirements-from-script",), (), True, "requirements_from_scripts"),
    Option(("--no-deps", "--no-dependencies"), (), False, "ignore_dependencies"),
    Option(("--only-deps", "--only-dependencies"), (), False, "only_dependencies"),
    Option(("--editable",), ("-e",), True, "editables"),
    Option(("--dry-run",), (), False, "dry_run"),
    Option(("--target",), ("-t",), True, "target_dir"),
    Option(("--platform",), (), True, "platforms"),
    Option(("--python-version",), (), True, "python_version"),
    Option(("--implementation",), (), True, "implementation"),
    Option(("--abi",), (), True, "abis"),
    Option(("--user",), (), False, "use_user_site"),
    Option(("--no-user",), (), False, "use_user_site"),
    Option(("--root",), (), True, "root_path"),
    Option(("--prefix",), (), True, "prefix_path"),
    Option(("--src", "--source", "--source-dir", "--source-directory"), (), True, "src_dir"),
    Option(("--upgrade",), ("-U",), False, "upgrade"),
    Option(("--upgrade-strategy",), (), True, "upgrade_strategy"),
    Option(("--force-reinstall",), (), False, "force_reinstall"),
    Option(("--ignore-installed",), ("-I",), False, "ignore_installed"),
    Option(("--ignore-requires-python",), (), False, "ignore_requires_python"),
    Option(("--no-build-isolation",), (), False, "build_isolation"),
    Option(("--use-pep517",), (), False, "use_pep517"),
    Option(("--check-build-dependencies",), (), False, "check_build_deps"),
    Option(("--break-system-packages",), (), False, "override_externally_managed"),
    Option(("--config-settings",), ("-C",), True, "config_settings"),
    Option(("--compile",), (), False, "compile"),
    Option(("--no-compile",), (), False, "compile"),
    Option(("--no-warn-script-location",), (), False, "warn_script_location"),
    Option(("--no-warn-conflicts",), (), False, "warn_about_conflicts"),
    Option(("--require-hashes",), (), False, "require_hashes"),
    Option(("--no-require-hashes",), (), False, "no_require_hashes"),
    Option(("--progress-bar",), (), True, "progress_bar"),
    Option(("--root-user-action",), (), True, "root_user_action"),
    Option(("--report",), (), True, "json_report_file"),
    Option(("--group",), (), True, "dependency_groups"),
    Option(("--no-clean",), (), False, "no_clean"),
    # index_group
    Option(("--index-url", "--pypi-url"), ("-i",), True, "index_url"),
    Option(("--extra-index-url",), (), True, "extra_index_urls"),
    Option(("--no-index",), (), False, "no_index"),
    Option(("--refresh-package",), (), True, "refresh_package"),
    Option(("--find-links",), ("-f",), True, "find_links"),
    Option(("--uploaded-prior-to",), (), True, "uploaded_prior_to"),
    # package_selection_group
    Option(("--pre",), (), False, "pre"),
    Option(("--all-releases",), (), True, "release_control"),
    Option(("--only-final",), (), True, "release_control"),
    Option(("--no-binary",), (), True, "format_control"),
    Option(("--only-binary",), (), True, "format_control"),
    Option(("--prefer-binary",), (), False, "prefer_binary"),
)
