// The logger every asyncio message goes through. asyncio: asyncio/log.py

import { getLogger, type Logger } from './logging.js';

/** `logging.getLogger('asyncio')`. */
export const logger: Logger = getLogger('asyncio');
