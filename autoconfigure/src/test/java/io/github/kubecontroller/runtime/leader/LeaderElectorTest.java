package io.github.kubecontroller.runtime.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kubecontroller.emulator.KubeApiEmulator;
import io.github.kubecontroller.emulator.control.AccessRule;
import io.github.kubecontroller.emulator.control.Fault;
import io.github.kubecontroller.emulator.control.RequestMatch;
import io.github.kubecontroller.runtime.client.RequestRetries;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoordinationV1Api;
import io.kubernetes.client.openapi.models.V1Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Leader election among instances on one emulator, each with a token of its own: one leads, a released lease is
 * taken over at once, a leader that cannot renew steps down before anyone else starts, and campaigns again.
 */
class LeaderElectorTest {

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	private KubeApiEmulator emulator;
	private final List<LeaderElector> electors = new ArrayList<>();
	/** Every start and stop of leading, in the order they happened, as "identity started|stopped". */
	private final List<String> history = new CopyOnWriteArrayList<>();
	private final Map<String, @Nullable String> seenLeader = new ConcurrentHashMap<>();

	@BeforeEach
	void startEmulator() {
		emulator = KubeApiEmulator.builder().build().start();
		emulator.accessControl().enable();
	}

	@AfterEach
	void stop() {
		electors.forEach(LeaderElector::close);
		emulator.stop();
	}

	private LeaderElector elector(String identity, Duration leaseDuration) {
		return elector(identity, leaseDuration, client -> {
		});
	}

	private LeaderElector elector(String identity, Duration leaseDuration, Consumer<ApiClient> clientSetup) {
		emulator.accessControl().token(identity + "-token", identity).allow(identity, AccessRule.all());
		ApiClient client = emulator.apiClient();
		client.setApiKeyPrefix("Bearer");
		client.setApiKey(identity + "-token");
		clientSetup.accept(client);
		LeaderElectionSettings settings = LeaderElectionSettings.defaults("default", "operator", identity)
				.withDurations(leaseDuration, Duration.ofMillis(800), Duration.ofMillis(200));
		LeaderElector elector = new LeaderElector(client, settings, new LeaderElector.Listener() {
			@Override
			public void startedLeading() {
				history.add(identity + " started");
			}

			@Override
			public void stoppedLeading() {
				history.add(identity + " stopped");
			}

			@Override
			public void leaderChanged(@Nullable String leader) {
				seenLeader.put(identity, String.valueOf(leader));
			}
		});
		electors.add(elector);
		elector.start();
		return elector;
	}

	private V1Lease lease() throws Exception {
		ApiClient admin = emulator.apiClient();
		emulator.accessControl().token("admin-token", "admin").allow("admin", AccessRule.all());
		admin.setApiKeyPrefix("Bearer");
		admin.setApiKey("admin-token");
		return new CoordinationV1Api(admin).readNamespacedLease("operator", "default").execute();
	}

	@Test
	void oneLeadsAndTheOthersKnowWho() throws Exception {
		LeaderElector a = elector("a", Duration.ofSeconds(2));
		LeaderElector b = elector("b", Duration.ofSeconds(2));
		LeaderElector c = elector("c", Duration.ofSeconds(2));

		await().atMost(DEADLINE).until(() -> List.of(a, b, c).stream()
				.filter(elector -> elector.role() == LeaderElector.Role.LEADER).count() == 1);
		String leader = lease().getSpec().getHolderIdentity();
		await().atMost(DEADLINE).until(() -> seenLeader.values().stream().allMatch(leader::equals)
				&& seenLeader.size() == 3);

		assertThat(List.of(a, b, c)).filteredOn(elector -> elector.role() == LeaderElector.Role.LEADER)
			.extracting(elector -> elector.settings().identity()).containsExactly(leader);
		assertThat(history).containsExactly(leader + " started");
	}

	@Test
	void closingTheLeaderReleasesTheLeaseSoAnotherLeadsAtOnce() throws Exception {
		// A lease of one minute: the follower can only lead within the test's deadline if the lease was released.
		LeaderElector a = elector("a", Duration.ofMinutes(1));
		await().atMost(DEADLINE).until(() -> a.role() == LeaderElector.Role.LEADER);
		LeaderElector b = elector("b", Duration.ofMinutes(1));
		await().atMost(DEADLINE).until(() -> "a".equals(b.leader()));

		a.close();

		assertThat(a.role()).isEqualTo(LeaderElector.Role.STOPPED);
		await().atMost(DEADLINE).until(() -> b.role() == LeaderElector.Role.LEADER);
		V1Lease lease = lease();
		assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("b");
		assertThat(lease.getSpec().getLeaseTransitions()).isEqualTo(1);
		assertThat(history).containsExactly("a started", "a stopped", "b started");
	}

	@Test
	void aReleaseThatIsThrottledIsTriedAgainSoAnotherStillLeadsAtOnce() throws Exception {
		LeaderElector a = elector("a", Duration.ofMinutes(1));
		await().atMost(DEADLINE).until(() -> a.role() == LeaderElector.Role.LEADER);
		LeaderElector b = elector("b", Duration.ofMinutes(1));
		await().atMost(DEADLINE).until(() -> "a".equals(b.leader()));
		// Only a writes the Lease (b waits for it to expire or be released). The next three writes are answered
		// 429: at most one renewal of a comes before the close, so at least the release's first two attempts are
		// throttled. Without a retry b would wait the whole minute.
		Fault throttled = Fault.matching(RequestMatch.any().verbs("update").resource("coordination.k8s.io", "leases"))
				.tooManyRequests(Duration.ofSeconds(1)).times(3).build();

		emulator.faults().add(throttled);
		a.close();

		await().atMost(DEADLINE).until(() -> b.role() == LeaderElector.Role.LEADER);
		assertThat(throttled.triggered()).isEqualTo(3);
		assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("b");
	}

	@Test
	void aLeaderThatCannotRenewStepsDownBeforeAnotherStartsAndCampaignsAgain() throws Exception {
		LeaderElector a = elector("a", Duration.ofSeconds(2));
		await().atMost(DEADLINE).until(() -> a.role() == LeaderElector.Role.LEADER);
		LeaderElector b = elector("b", Duration.ofSeconds(2));
		await().atMost(DEADLINE).until(() -> "a".equals(b.leader()));

		emulator.accessControl().revokeRules("a"); // a's renewals now get 403
		await().atMost(DEADLINE).until(() -> b.role() == LeaderElector.Role.LEADER);

		assertThat(a.role()).isEqualTo(LeaderElector.Role.CANDIDATE);
		assertThat(history).containsExactly("a started", "a stopped", "b started");

		emulator.accessControl().allow("a", AccessRule.all());
		b.close();
		await().atMost(DEADLINE).until(() -> a.role() == LeaderElector.Role.LEADER);
		assertThat(a.transitions()).isEqualTo(2);
		assertThat(history).containsExactly("a started", "a stopped", "b started", "b stopped", "a started");
	}

	@Test
	void aThrottledRenewalDoesNotWaitForRetryAfterPastTheRenewDeadline() throws Exception {
		// a's client retries 429s after their Retry-After, as the application's client does.
		LeaderElector a = elector("a", Duration.ofSeconds(2), client -> RequestRetries.install(client, 3));
		await().atMost(DEADLINE).until(() -> a.role() == LeaderElector.Role.LEADER);
		LeaderElector b = elector("b", Duration.ofSeconds(2));
		await().atMost(DEADLINE).until(() -> "a".equals(b.leader()));

		// a's next renewal is answered 429 with Retry-After: 5. Sleeping that long in the client would keep a
		// leading, unable to renew, past the lease duration, while b takes the Lease. a must try again itself, a
		// retry period later, within its renew deadline.
		Fault throttled = Fault.matching(RequestMatch.any().verbs("update").resource("coordination.k8s.io", "leases"))
				.tooManyRequests(Duration.ofSeconds(5)).times(1).build();
		emulator.faults().add(throttled);
		await().atMost(DEADLINE).until(() -> throttled.triggered() == 1);
		Instant throttledAt = Instant.now();

		await().atMost(DEADLINE).until(() -> {
			V1Lease lease = lease();
			return "a".equals(lease.getSpec().getHolderIdentity())
					&& lease.getSpec().getRenewTime().toInstant().isAfter(throttledAt);
		});
		assertThat(history).containsExactly("a started");
	}
}
