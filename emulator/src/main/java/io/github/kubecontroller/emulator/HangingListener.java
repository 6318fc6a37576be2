package io.github.kubecontroller.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Accepts connections on the emulator's port and never answers them: the {@link Outage#HANG} outage.
 */
final class HangingListener implements AutoCloseable {

	private final ServerSocket socket;

	private final List<Socket> held = new CopyOnWriteArrayList<>();

	HangingListener(String host, int port) {
		try {
			this.socket = new ServerSocket();
			this.socket.setReuseAddress(true);
			this.socket.bind(new InetSocketAddress(host, port));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot listen on " + host + ":" + port, ex);
		}
		Thread acceptor = new Thread(this::acceptForever, "kube-api-emulator-hanging-listener");
		acceptor.setDaemon(true);
		acceptor.start();
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
