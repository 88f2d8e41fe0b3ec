// The external store of the list of every namespace's releases: the cluster watch and the list's judge
// dispatch into it; React reads it with useSyncExternalStore. Subscribers are told at most once per `batchMs`.
import {BatchedStore} from './batched-store.js';
import {reduceCluster, type ClusterAction, type ClusterState} from './cluster-state.js';

export class ClusterStore extends BatchedStore<ClusterState, ClusterAction> {
	constructor(initial: ClusterState, batchMs = 100) {
		super(initial, reduceCluster, batchMs);
	}
}
