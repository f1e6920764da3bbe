// The explorer's hand on the network (aiosim/testing's checkProperty): who makes the
// network's free choices, and whether deliveries of different links due at the same
// instant are ties the world's chooser may order. Module state: it outlives the network
// of one run, which a test's fixture makes afresh.
// asyncio: none (aiosim testing)

import type { Host } from './host.js';
import { linkKey } from './link-faults.js';
import type { NetworkChooser } from './link-model.js';

/** The owner of the network's world events (a scheduling seed never reorders two of them). */
export const NETWORK_OWNER: unique symbol = Symbol('network');

let explorer: NetworkChooser | undefined;
// Whether same-instant deliveries of different links are ties; otherwise they are one
// owner's (NETWORK_OWNER), FIFO.
let exploreOrder = false;
// The owners of each link's deliveries while exploring their order (by linkKey).
const linkOwners = new Map<string, { readonly link: string }>();

/**
 * @internal aiosim/testing: make the network's free choices with `chooser` (undefined:
 * the seeded generator), and let the world order same-instant deliveries of different
 * links when `order`. Returns the chooser it replaces.
 */
export function _setNetworkExplorer(chooser: NetworkChooser | undefined, order = false): NetworkChooser | undefined {
  const previous = explorer;
  explorer = chooser;
  exploreOrder = order;
  return previous;
}

/** @internal The explorer's chooser, if one is set. */
export function _networkExplorer(): NetworkChooser | undefined {
  return explorer;
}

/** @internal Whether `owner` is the owner of network deliveries (a tie among them is the network's). */
export function _isNetworkOwner(owner: unknown): boolean {
  return owner === NETWORK_OWNER || (typeof owner === 'object' && owner !== null && linkOwners.get((owner as { link?: string }).link ?? '') === owner);
}

/**
 * @internal The owner of the deliveries on the link from `from` to `to`: the network's,
 * or the link's own while their order is explored (only then is the link's key made).
 */
export function _deliveryOwner(from: Host, to: Host): unknown {
  if (!exploreOrder) return NETWORK_OWNER;
  const key = linkKey(from, to);
  let owner = linkOwners.get(key);
  if (owner === undefined) {
    owner = { link: key };
    linkOwners.set(key, owner);
  }
  return owner;
}
