/** The largest request body a local server (serve, the simulator) accepts unless told otherwise; 413 beyond it. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024
