package io.github.kubecontroller.runtime.controller;

import static io.github.kubecontroller.runtime.controller.EmulatedCluster.DEADLINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.kubecontroller.emulator.Outage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * A failed reconcile logs one line; the stack trace comes with the first failure of an object only when it helps:
 * a bug in the reconciler, never a failed API request, so that an outage, which fails every object at once, does
 * not bury the log under one stack trace per object.
 */
class FailureLoggingTest {

	private static final String NS = "default";

	@RegisterExtension
	final EmulatedCluster cluster = new EmulatedCluster();

	private final Logger logger = (Logger) LoggerFactory.getLogger(ResourceReconciler.class);
	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	@BeforeEach
	void captureLog() {
		appender.start();
		logger.addAppender(appender);
	}

	@AfterEach
	void releaseLog() {
		logger.detachAppender(appender);
	}

	/** Writes a new status on every pass and comes back every 100 ms; or throws, as spec.content says. */
	static final class StatusWriter implements ResourceReconciler<Widget> {

		final AtomicInteger passes = new AtomicInteger();

		@Override
		public Result reconcile(Widget widget, ReconcileContext<Widget> context) throws Exception {
			passes.incrementAndGet();
			if (widget.getSpec().content.equals("bug")) {
				throw new IllegalStateException("a bug in the reconciler");
			}
			context.updateStatus(new Widget.Status(widget.getMetadata().getGeneration(), "pass " + passes.get()));
			return Result.requeueAfter(Duration.ofMillis(100));
		}
	}

	@Test
	void anOutageLogsOneLinePerFailureWithoutStackTraces() throws Exception {
		StatusWriter reconciler = new StatusWriter();
		cluster.run(ControllerSpec.builder("outage", Widget.class)
				.backoff(Duration.ofMillis(50), Duration.ofMillis(200)).build(), reconciler);
		for (int i = 0; i < 3; i++) {
			cluster.createWidget(NS, "w" + i, "fine");
		}
		await().atMost(DEADLINE).until(() -> reconciler.passes.get() >= 6);

		cluster.emulator().outage(Outage.REFUSE_CONNECTIONS);
		try {
			await().atMost(DEADLINE).until(() -> failures().size() >= 6);
		} finally {
			cluster.emulator().restart();
		}

		assertThat(failures()).allSatisfy(event -> {
			assertThat(event.getLevel()).isEqualTo(Level.WARN);
			assertThat(event.getThrowableProxy()).as("stack trace of " + event.getFormattedMessage()).isNull();
		});
		assertThat(failures()).extracting(ILoggingEvent::getFormattedMessage)
				.anySatisfy(message -> assertThat(message).contains("(attempt 1)"));
	}

	@Test
	void aBugInTheReconcilerLogsItsStackTraceOnTheFirstFailure() throws Exception {
		cluster.run(ControllerSpec.builder("bug", Widget.class)
				.backoff(Duration.ofMillis(50), Duration.ofMillis(200)).build(), new StatusWriter());

		cluster.createWidget(NS, "buggy", "bug");

		await().atMost(DEADLINE).until(() -> failures().size() >= 2);
		assertThat(failures().get(0).getThrowableProxy()).isNotNull();
		assertThat(failures().get(0).getThrowableProxy().getMessage()).isEqualTo("a bug in the reconciler");
		assertThat(failures().get(1).getThrowableProxy()).isNull();
	}

	private List<ILoggingEvent> failures() {
		synchronized (appender) { // AppenderBase appends under this lock
			return appender.list.stream().filter(event -> event.getMessage().startsWith("Reconcile of")
					&& event.getMessage().contains("failed")).toList();
		}
	}
}
