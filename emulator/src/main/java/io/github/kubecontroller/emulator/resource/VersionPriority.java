package io.github.kubecontroller.emulator.resource;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes version priority: GA before beta before alpha, higher numbers first, anything else last in
 * alphabetical order (apimachinery's {@code CompareKubeAwareVersionStrings}).
 */
final class VersionPriority {

	private static final Pattern KUBE_VERSION = Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?");

	private VersionPriority() {
	}

	/** Negative when {@code a} is preferred over {@code b}. */
	static int compare(String a, String b) {
		Matcher ma = KUBE_VERSION.matcher(a);
		Matcher mb = KUBE_VERSION.matcher(b);
		boolean ka = ma.matches();
		boolean kb = mb.matches();
		if (!ka || !kb) {
			return (ka == kb) ? a.compareTo(b) : (ka ? -1 : 1);
		}
		int stability = Integer.compare(stability(ma.group(2)), stability(mb.group(2)));
		if (stability != 0) {
			return -stability;
		}
		int major = Integer.compare(Integer.parseInt(ma.group(1)), Integer.parseInt(mb.group(1)));
		if (major != 0) {
			return -major;
		}
		int minor = Integer.compare(ma.group(3) == null ? 0 : Integer.parseInt(ma.group(3)),
				mb.group(3) == null ? 0 : Integer.parseInt(mb.group(3)));
		return -minor;
	}

	private static int stability(String qualifier) {
		if (qualifier == null) {
			return 2;
		}
		return "beta".equals(qualifier) ? 1 : 0;
	}
}
