package io.github.kubecontroller.runtime.controller;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the threads controllers run on: platform daemon threads, or virtual threads when asked for and the JVM has
 * them (Java 21 and later; the runtime is compiled for Java 17, so they are looked up reflectively).
 */
public final class WorkerThreads {

	private static final MethodHandle VIRTUAL_BUILDER = lookupVirtualBuilder();

	private final boolean virtual;

	private WorkerThreads(boolean virtual) {
		this.virtual = virtual;
	}

	/** Platform threads. */
	public static WorkerThreads platform() {
		return new WorkerThreads(false);
	}

	/** Virtual threads if this JVM has them, platform threads otherwise. */
	public static WorkerThreads virtualIfAvailable() {
		return new WorkerThreads(VIRTUAL_BUILDER != null);
	}

	/** Whether threads made here are virtual. */
	public boolean virtual() {
		return virtual;
	}

	/** A factory of threads named {@code prefix-1}, {@code prefix-2}, … */
	public ThreadFactory factory(String prefix) {
		AtomicInteger counter = new AtomicInteger();
		if (virtual) {
			return task -> startVirtual(prefix + "-" + counter.incrementAndGet(), task);
		}
		return task -> {
			Thread thread = new Thread(task, prefix + "-" + counter.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	private static Thread startVirtual(String name, Runnable task) {
		try {
			return (Thread) VIRTUAL_BUILDER.invoke(name, task);
		} catch (Throwable e) {
			throw new IllegalStateException("Could not create virtual thread " + name, e);
		}
	}

	// Thread.ofVirtual().name(name).unstarted(task), resolved once.
	private static MethodHandle lookupVirtualBuilder() {
		try {
			MethodHandles.Lookup lookup = MethodHandles.publicLookup();
			Class<?> builderClass = Class.forName("java.lang.Thread$Builder");
			Class<?> ofVirtualClass = Class.forName("java.lang.Thread$Builder$OfVirtual");
			MethodHandle ofVirtual = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtualClass));
			MethodHandle name = lookup.findVirtual(ofVirtualClass, "name", MethodType.methodType(ofVirtualClass, String.class));
			MethodHandle unstarted = lookup.findVirtual(builderClass, "unstarted", MethodType.methodType(Thread.class, Runnable.class));
			// (String, Runnable) -> Thread
			MethodHandle named = MethodHandles.foldArguments(name, MethodHandles.dropArguments(ofVirtual, 0, String.class));
			MethodHandle namedAsBuilder = named.asType(MethodType.methodType(builderClass, String.class));
			return MethodHandles.collectArguments(unstarted, 0, namedAsBuilder);
		} catch (ReflectiveOperationException | RuntimeException e) {
			return null;
		}
	}
}
