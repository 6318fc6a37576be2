package io.github.kubecontroller.benchmarks.peers;

import java.util.List;
import java.util.Map;

import io.github.kubecontroller.emulator.control.Audit;

/**
 * Requests one user made, from the emulator's audit counters, by kind: writes (create, update, patch, delete),
 * reads (get, list), watches. A difference of two readings is the load of the interval between them.
 */
record ApiLoad(long writes, long gets, long lists, long watches, long other) {

	private static final List<String> WRITES = List.of("create", "update", "patch", "delete", "deletecollection");

	static ApiLoad of(Audit audit, String user) {
		long writes = 0;
		long gets = 0;
		long lists = 0;
		long watches = 0;
		long other = 0;
		for (Map.Entry<Audit.Key, Long> entry : audit.counters().entrySet()) {
			Audit.Key key = entry.getKey();
			if (!key.user().equals(user)) {
				continue;
			}
			long count = entry.getValue();
			if (WRITES.contains(key.verb())) {
				writes += count;
			}
			else if (key.verb().equals("get")) {
				gets += count;
			}
			else if (key.verb().equals("list")) {
				lists += count;
			}
			else if (key.verb().equals("watch")) {
				watches += count;
			}
			else {
				other += count;
			}
		}
		return new ApiLoad(writes, gets, lists, watches, other);
	}

	ApiLoad minus(ApiLoad before) {
		return new ApiLoad(this.writes - before.writes, this.gets - before.gets, this.lists - before.lists,
				this.watches - before.watches, this.other - before.other);
	}

	/** Every request but watches: what costs the API server a response each. */
	long requests() {
		return this.writes + this.gets + this.lists + this.other;
	}

	@Override
	public String toString() {
		return "writes=" + this.writes + " gets=" + this.gets + " lists=" + this.lists + " watches=" + this.watches
				+ " other=" + this.other;
	}
}
