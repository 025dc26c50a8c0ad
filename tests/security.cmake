# SPDX-License-Identifier: MIT
# security: what a root-run ringscope promises about the paths it writes, the processes and
# namespaces it leaves, and what other users of the machine can reach (docs/outputs.md,
# issue 13). Each case runs as root and, where a user matters, as nobody.
rs_unit_test(test_outfile rs_lib)
rs_integration_test(test_output_paths 300 root)
rs_integration_test(test_isolation 300 root netns bpf)
