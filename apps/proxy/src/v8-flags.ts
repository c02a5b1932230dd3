import { setFlagsFromString } from 'node:v8';

/**
 * Imported first by server.ts, before any request code runs.
 *
 * V8 pretenures an allocation site (allocates its objects straight in the old generation) once
 * nearly all of them survived a young collection. A proxy's per-request objects can look like
 * that in a burst (a slow start, bills waiting for their write), and the decision then stays
 * for the life of the process: every request's objects land in the old generation, and until
 * the next full collection they keep alive whatever young objects they point to — the rest of
 * the request. Measured on the bench: about one process in two fell into this, promoting ten
 * times as much per young collection, using ~25 % more CPU per request and peaking near 205 MB
 * instead of ~140 MB. The proxy's long-lived state is small, so it loses nothing by not
 * pretenuring.
 */
setFlagsFromString('--no-allocation-site-pretenuring');

/**
 * After a full collection V8 lets the old generation grow to up to four times what survived
 * before collecting again, a factor it picks from how fast the heap filled: some processes ran
 * at ~30 MB of old generation, others grew it past 75 MB (peak RSS 200+ MB) on the same load.
 * A fixed 1.5 keeps the peak near 140 MB; with ~30 MB live that is one full collection every
 * several seconds under full load, which the bench does not see in throughput.
 */
setFlagsFromString('--heap-growing-percent=50');
