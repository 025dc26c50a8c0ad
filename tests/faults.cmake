# SPDX-License-Identifier: MIT
# faults: kill -9 of http-session mid-run (lighttpd and namespaces gone after the next start).
rs_integration_test(test_http_kill 300 root netns)
# bad input to every recording and reading command: one clear line, the exit code, nothing left.
rs_integration_test(test_bad_input 120 unit)
# a member launched through ssh (a private sshd on loopback stands in for the second host).
rs_integration_test(test_topology_ssh 120 root)
