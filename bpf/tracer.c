// SPDX-License-Identifier: MIT
/* PLACEHOLDER - replaced by the tracer loader (issue 3). */
