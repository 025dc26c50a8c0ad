# SPDX-License-Identifier: MIT
# The http probe: its response parser (unit), and http-session against a real lighttpd, local
# and over veth, with its failure paths (root).
rs_unit_test(test_http_parse rs_probes)
rs_integration_test(test_http 300 root netns)
