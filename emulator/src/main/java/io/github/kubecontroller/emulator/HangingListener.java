package io.github.kubecontroller.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.kubecontroller.emulator.http.ApiServer;

/**
 * Accepts connections on the emulator's port and never answers them: the {@link Outage#HANG} outage.
 */
final class HangingListener implements AutoCloseable {

	private final ServerSocket socket;

	private final List<Socket> held = new CopyOnWriteArrayList<>();

	HangingListener(String host, int port) {
		this.socket = bind(host, port);
		Thread acceptor = new Thread(this::acceptForever, "kube-api-emulator-hanging-listener");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/** Binds, retrying while the port is still being released by the stopped server (see ApiServer). */
	private static ServerSocket bind(String host, int port) {
		long deadline = System.nanoTime() + ApiServer.BIND_RETRY.toNanos();
		while (true) {
			try {
				ServerSocket socket = new ServerSocket();
				socket.setReuseAddress(true);
				try {
					socket.bind(new InetSocketAddress(host, port));
					return socket;
				}
				catch (java.net.BindException ex) {
					socket.close();
					if (System.nanoTime() > deadline) {
						throw ex;
					}
				}
				Thread.sleep(20);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("cannot listen on " + host + ":" + port, ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted while binding", ex);
			}
		}
	}

	private void acceptForever() {
		while (!this.socket.isClosed()) {
			try {
				this.held.add(this.socket.accept());
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
		for (Socket connection : this.held) {
			try {
				connection.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}
		this.held.clear();
	}
}
