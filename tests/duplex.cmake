# SPDX-License-Identifier: MIT
# The ring's --reply same-connection (a 2-hop ring as a TCP ping-pong on one connection): every
# io mode, its one connection seen with ss, across namespaces, launched, and the refusals (root).
rs_integration_test(test_duplex 600 root)
