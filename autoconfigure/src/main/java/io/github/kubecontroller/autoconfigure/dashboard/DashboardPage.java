package io.github.kubecontroller.autoconfigure.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.function.Supplier;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.util.HtmlUtils;

/**
 * The dashboard's HTML, with the address of the endpoint filled in for each request. The page is one file with its
 * style and script inline; its Content-Security-Policy allows exactly that inline style and script (by their hashes)
 * and requests to its own origin, and nothing else.
 */
final class DashboardPage {

	static final String TEMPLATE = "io/github/kubecontroller/autoconfigure/dashboard/dashboard.html";

	/** Stands in the template where the endpoint's path goes, in an attribute of a meta element. */
	static final String ENDPOINT_PLACEHOLDER = "{{endpoint}}";

	private static final MediaType HTML = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);

	private final String template;
	private final String contentSecurityPolicy;
	private final Supplier<String> endpointPath;

	DashboardPage(String template, Supplier<String> endpointPath) {
		if (!template.contains(ENDPOINT_PLACEHOLDER)) {
			throw new IllegalArgumentException("The dashboard template has no " + ENDPOINT_PLACEHOLDER);
		}
		this.template = template;
		this.contentSecurityPolicy = "default-src 'none'; script-src " + hashOf(template, "script")
				+ "; style-src " + hashOf(template, "style")
				+ "; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'";
		this.endpointPath = endpointPath;
	}

	static DashboardPage load(Supplier<String> endpointPath) {
		try (InputStream in = DashboardPage.class.getClassLoader().getResourceAsStream(TEMPLATE)) {
			if (in == null) {
				throw new IllegalStateException("The dashboard page " + TEMPLATE + " is missing from the class path");
			}
			return new DashboardPage(new String(in.readAllBytes(), StandardCharsets.UTF_8), endpointPath);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + TEMPLATE, ex);
		}
	}

	ServerResponse render(ServerRequest request) {
		// The context path as the request saw it (with the dispatcher servlet's path, if any): the endpoint is served
		// by the same dispatcher, so the page finds it behind the same prefix.
		String endpoint = request.requestPath().contextPath().value() + endpointPath.get();
		String html = template.replace(ENDPOINT_PLACEHOLDER, HtmlUtils.htmlEscape(endpoint, "UTF-8"));
		return ServerResponse.ok()
				.contentType(HTML)
				.cacheControl(CacheControl.noStore())
				.header("Content-Security-Policy", contentSecurityPolicy)
				.header("X-Content-Type-Options", "nosniff")
				.header("Referrer-Policy", "no-referrer")
				.body(html);
	}

	/** The CSP source of the one inline element of that tag, as {@code 'sha256-...'}. */
	private static String hashOf(String template, String tag) {
		String open = "<" + tag + ">";
		int start = template.indexOf(open);
		int end = template.indexOf("</" + tag + ">");
		if (start < 0 || end < start || template.indexOf(open, start + 1) >= 0) {
			throw new IllegalArgumentException("The dashboard template must have exactly one <" + tag + "> element");
		}
		String content = template.substring(start + open.length(), end);
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
			return "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}
}
