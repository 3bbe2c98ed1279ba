/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The runtime API as the supervisor includes it. */
#ifndef BERTH_SUPERVISOR_RT_H
#define BERTH_SUPERVISOR_RT_H

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcomment"
#include "runtime/container.h"
#pragma GCC diagnostic pop

#endif
