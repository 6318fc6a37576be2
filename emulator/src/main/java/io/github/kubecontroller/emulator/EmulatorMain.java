package io.github.kubecontroller.emulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulator standalone until killed:
 * {@code java -jar kube-api-emulator-<version>-standalone.jar [--port P] [--host H] [--kubeconfig FILE]}.
 */
public final class EmulatorMain {

	private static final String USAGE = """
			usage: java -jar kube-api-emulator-standalone.jar [options]
			  --port P                   port to listen on (default 0: a free port)
			  --host H                   address to listen on (default 127.0.0.1)
			  --kubeconfig FILE          write a kubeconfig for kubectl to FILE
			  --history-window SECONDS   how long watches can resume (default 300)
			  --history-events N         how many changes are kept at most (default 100000)
			  --no-streaming-lists       answer sendInitialEvents as a server without the WatchList gate
			""";

	private EmulatorMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		KubeApiEmulator.Builder builder = KubeApiEmulator.builder();
		Path kubeconfig = null;
		try {
			for (int i = 0; i < args.length; i++) {
				String arg = args[i];
				switch (arg) {
					case "--port" -> builder.port(Integer.parseInt(value(args, ++i, arg)));
					case "--host" -> builder.host(value(args, ++i, arg));
					case "--kubeconfig" -> kubeconfig = Path.of(value(args, ++i, arg));
					case "--history-window" -> builder.historyWindow(Duration.ofSeconds(Long.parseLong(value(args, ++i, arg))));
					case "--history-events" -> builder.historyMaxEvents(Integer.parseInt(value(args, ++i, arg)));
					case "--no-streaming-lists" -> builder.streamingLists(false);
					case "--help", "-h" -> {
						System.out.print(USAGE);
						return;
					}
					default -> throw new IllegalArgumentException("unknown option " + arg);
				}
			}
		}
		catch (IllegalArgumentException ex) {
			System.err.println("kube-api-emulator: " + ex.getMessage());
			System.err.print(USAGE);
			System.exit(2);
			return;
		}
		KubeApiEmulator emulator = builder.build().start();
		Runtime.getRuntime().addShutdownHook(new Thread(emulator::stop, "kube-api-emulator-shutdown"));
		System.out.println("kube-api-emulator listening on " + emulator.baseUrl());
		if (kubeconfig != null) {
			emulator.writeKubeconfig(kubeconfig);
			System.out.println("kubeconfig: " + kubeconfig.toAbsolutePath());
			System.out.println("try: kubectl --kubeconfig " + kubeconfig.toAbsolutePath() + " get namespaces");
		}
		new CountDownLatch(1).await();
	}

	private static String value(String[] args, int index, String option) {
		if (index >= args.length) {
			throw new IllegalArgumentException(option + " needs a value");
		}
		return args[index];
	}
}
