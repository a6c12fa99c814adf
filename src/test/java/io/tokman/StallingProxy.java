package io.tokman;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of a database that can stall: while stalled it accepts connections
 * and forwards nothing either way, as a database behind a dead network or a frozen host
 * does (no refusal, no reset, just silence). {@link #recover()} drops every connection,
 * as a restarted database would, and forwards again.
 */
final class StallingProxy implements AutoCloseable {

	private final ServerSocket server;

	private final String host;

	private final int port;

	private final Set<Socket> open = ConcurrentHashMap.newKeySet();

	private final Object gate = new Object();

	private volatile boolean stalled;

	StallingProxy(String host, int port) {
		this.host = host;
		this.port = port;
		try {
			this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		daemon("proxy-accept", this::accept);
	}

	int port() {
		return this.server.getLocalPort();
	}

	void stall() {
		this.stalled = true;
	}

	void recover() {
		synchronized (this.gate) {
			this.open.forEach(StallingProxy::closeQuietly);
			this.open.clear();
			this.stalled = false;
			this.gate.notifyAll();
		}
	}

	@Override
	public void close() {
		closeQuietly(this.server);
		recover();
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				Socket database = new Socket(this.host, this.port);
				this.open.add(client);
				this.open.add(database);
				daemon("proxy-up", () -> pump(client, database));
				daemon("proxy-down", () -> pump(database, client));
			}
			catch (IOException ex) {
				// Closed, or the database refused: the client's connection fails too.
			}
		}
	}

	private void pump(Socket from, Socket to) {
		byte[] buffer = new byte[16 * 1024];
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			int read;
			while ((read = in.read(buffer)) != -1) {
				waitWhileStalled();
				out.write(buffer, 0, read);
				out.flush();
			}
		}
		catch (IOException | InterruptedException ex) {
			// Dropped.
		}
		finally {
			closeQuietly(from);
			closeQuietly(to);
		}
	}

	private void waitWhileStalled() throws InterruptedException {
		synchronized (this.gate) {
			while (this.stalled) {
				this.gate.wait();
			}
		}
	}

	private static void daemon(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// Gone already.
		}
	}

}
