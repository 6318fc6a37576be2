package io.github.kubecontroller.runtime.shard;

import io.github.kubecontroller.runtime.client.ClientRateLimit;
import io.github.kubecontroller.runtime.client.RequestRetries;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoordinationV1Api;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1LeaseList;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Status;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/**
 * The requests of sharding on its Leases, each bounded by a timeout whatever the client's own timeouts, retries and
 * limits are. They bypass the interceptors that sleep before sending (the retries of 429s after their Retry-After
 * and the client-side rate limit): their sleeps ignore the call's timeout, so a renewal could outlast its shard's
 * renew deadline while another instance, seeing the Lease expire, takes the shard. The coordinator retries by
 * itself every retry period, and its few requests need no rate limit.
 */
final class ShardLeases {

	static final String GROUP_LABEL = "kube-controller.io/sharding";

	static final String ROLE_LABEL = "kube-controller.io/role";

	static final String RULE = "apiGroups: [\"coordination.k8s.io\"], resources: [\"leases\"], verbs: [\"create\","
			+ " \"delete\", \"list\", \"update\"]";

	private final ApiClient client;
	// The client's HTTP client without the waiting interceptors, made again if the application replaces it.
	private OkHttpClient source;
	private OkHttpClient http;
	private final CoordinationV1Api leases;
	private final String namespace;
	private final String group;

	ShardLeases(ApiClient client, String namespace, String group) {
		this.client = client;
		this.source = client.getHttpClient();
		this.http = withoutWaits(source);
		this.leases = new CoordinationV1Api(client);
		this.namespace = namespace;
		this.group = group;
	}

	/** The metadata of a new Lease of this group in the role {@code member} or {@code shard}. */
	V1ObjectMeta metadata(String name, String role) {
		return new V1ObjectMeta().namespace(namespace).name(name).labels(Map.of(GROUP_LABEL, group, ROLE_LABEL, role));
	}

	/** Every Lease of the group, in one request. */
	List<V1Lease> list(Duration timeout) throws ApiException {
		Call call = leases.listNamespacedLease(namespace).labelSelector(GROUP_LABEL + "=" + group).buildCall(null);
		V1LeaseList list = execute(call, timeout, V1LeaseList.class);
		return list.getItems();
	}

	V1Lease create(V1Lease lease, Duration timeout) throws ApiException {
		return execute(leases.createNamespacedLease(namespace, lease).buildCall(null), timeout, V1Lease.class);
	}

	V1Lease replace(V1Lease lease, Duration timeout) throws ApiException {
		return execute(leases.replaceNamespacedLease(lease.getMetadata().getName(), namespace, lease).buildCall(null),
				timeout, V1Lease.class);
	}

	void delete(String name, Duration timeout) throws ApiException {
		execute(leases.deleteNamespacedLease(name, namespace).buildCall(null), timeout, V1Status.class);
	}

	/**
	 * Checks that the application may list, create, update and delete the group's Leases, without changing any:
	 * a list, then dry-run requests that the API server authorizes before it looks at the object. The update is
	 * checked on a Lease of the group when there is one (an update of a missing Lease would create it).
	 *
	 * @throws ShardingException when a request is forbidden, naming the rule
	 */
	void checkAccess(String memberLease, Duration timeout) throws ApiException {
		String verb = "list";
		try {
			List<V1Lease> group = list(timeout);
			verb = "create";
			dryRun(leases.createNamespacedLease(namespace, new V1Lease().metadata(metadata(memberLease, "member")))
					.dryRun("All").buildCall(null), timeout);
			if (!group.isEmpty()) {
				verb = "update";
				V1Lease existing = group.get(0);
				dryRun(leases.replaceNamespacedLease(existing.getMetadata().getName(), namespace, existing)
						.dryRun("All").buildCall(null), timeout);
			}
			verb = "delete";
			// Dry run both as a query parameter and in the body's DeleteOptions, which every server reads.
			dryRun(leases.deleteNamespacedLease(memberLease, namespace).dryRun("All")
					.body(new V1DeleteOptions().dryRun(List.of("All"))).buildCall(null), timeout);
		} catch (ApiException e) {
			if (e.getCode() == 403) {
				throw new ShardingException("Sharding cannot " + verb + " the Leases of " + group + " in namespace "
						+ namespace + ": forbidden. Give the application this RBAC rule in namespace " + namespace
						+ ": " + RULE + " (the generated RBAC has it when sharding is on)");
			}
			throw e;
		}
	}

	private void dryRun(Call call, Duration timeout) throws ApiException {
		try {
			execute(call, timeout, Object.class);
		} catch (ApiException e) {
			// Authorized: the Lease is merely there already (create), or not there (update, delete).
			if (e.getCode() != 404 && e.getCode() != 409 && e.getCode() != 422) {
				throw e;
			}
		}
	}

	private <R> R execute(Call call, Duration timeout, Type type) throws ApiException {
		OkHttpClient current = client.getHttpClient();
		synchronized (this) {
			if (current != source) {
				source = current;
				http = withoutWaits(current);
			}
			current = http;
		}
		Call bounded = current.newCall(call.request());
		bounded.timeout().timeout(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
		return client.<R>execute(bounded, type).getData();
	}

	private static OkHttpClient withoutWaits(OkHttpClient http) {
		if (http.interceptors().stream().noneMatch(ShardLeases::waits)) {
			return http;
		}
		OkHttpClient.Builder builder = http.newBuilder();
		builder.interceptors().removeIf(ShardLeases::waits);
		return builder.build();
	}

	private static boolean waits(Interceptor interceptor) {
		return interceptor instanceof RequestRetries || interceptor instanceof ClientRateLimit;
	}
}
