/* SPDX-License-Identifier: MIT */
/*
 * doctor_delivery - `doctor --delivery`: this platform's normal interrupt delivery cost,
 * measured the way every traced session learns it (docs/attribution.md): a short traced 2-hop
 * ring across two CPUs, its IPIs paired from send to handler and its timer interrupts from
 * expiry to handler, read back from the trace's evidence.
 */
#ifndef RINGSCOPE_DOCTOR_DELIVERY_H
#define RINGSCOPE_DOCTOR_DELIVERY_H

#include <stddef.h>

struct json_object;

/*
 * doctor_delivery - run the ring (as this binary's `run`, in a private temporary folder that is
 * removed after) and return the delivery figures as a new object in *@out. 0, or -errno with
 * @err saying why (one CPU, no root or BPF: the ring's own one-line error).
 */
int doctor_delivery(struct json_object **out, char *err, size_t errlen);

#endif
