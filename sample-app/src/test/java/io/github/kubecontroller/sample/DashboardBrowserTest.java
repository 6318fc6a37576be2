package io.github.kubecontroller.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.kubecontroller.test.EmulatedCluster;
import io.github.kubecontroller.test.EmulatedKubernetes;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The dashboard page in a real headless Chromium: the sample's controller appears running and synced with its cached
 * Websites, a new Website shows up live, and a failing cleanup shows the failing object, its error and the stuck
 * finalizer. Skipped when Chromium or its driver is not installed, unless KUBE_CONTROLLER_REQUIRE_BROWSER=true.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "kube.controller.reconcilers.website.backoff-cap=1s",
				"kube.controller.diagnostics.stuck-finalizer-after=1s" })
@EmulatedKubernetes
class DashboardBrowserTest {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
	private static final String INSTALL = "install the Debian packages chromium and chromium-driver (./.ci/run does)";
	private static final Duration DEADLINE = Duration.ofSeconds(30);

	private static ChromeDriverService driverService;
	private static ChromeDriver browser;

	@LocalServerPort
	int port;

	@Autowired
	EmulatedCluster cluster;

	@Autowired
	WebsiteRegistry registry;

	@BeforeAll
	static void startBrowser() throws Exception {
		boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
		if (!installed && "true".equals(System.getenv("KUBE_CONTROLLER_REQUIRE_BROWSER"))) {
			fail(INSTALL);
		}
		assumeTrue(installed, INSTALL);
		Path target = Files.createDirectories(Path.of("target"));
		// Both executables are given, so Selenium never looks for (or downloads) a browser or a driver of its own.
		driverService = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
				.usingAnyFreePort()
				.build();
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--window-size=1440,900",
				"--user-data-dir=" + Files.createTempDirectory(target, "chromium-profile-").toAbsolutePath());
		browser = new ChromeDriver(driverService, options);
	}

	@AfterAll
	static void stopBrowser() {
		if (browser != null) {
			browser.quit();
		}
		if (driverService != null) {
			driverService.stop();
		}
	}

	@Test
	void showsTheControllerLiveWithItsCacheAndItsFailures() throws Exception {
		browser.get("http://localhost:" + port + "/kubecontrollers");
		WebDriverWait wait = new WebDriverWait(browser, DEADLINE);
		String row = "tr[data-controller='website'] ";
		wait.until(ExpectedConditions.textToBe(By.cssSelector(row + "td[data-field='state']"), "RUNNING"));
		wait.until(ExpectedConditions.textToBe(By.cssSelector(row + "td[data-field='synced']"), "synced"));
		int websites = websiteCount();
		wait.until(ExpectedConditions.textToBe(By.cssSelector(row + "[data-field='objects']"),
				String.valueOf(websites)));
		assertThat(browser.findElement(By.id("status")).getAttribute("data-state")).isEqualTo("live");

		// A mark on the page proves that what follows arrives without a reload.
		browser.executeScript("window.dashboardTestMark = 'unchanged page';");
		cluster.apply("""
				apiVersion: v1
				kind: Namespace
				metadata:
				  name: dashboard
				""");
		Website doomed = cluster.awaitReconciled(cluster.apply(new Website()
				.metadata(new V1ObjectMeta().namespace("dashboard").name("doomed"))
				.spec(new Website.Spec("<p>soon gone</p>", 1))));
		wait.until(ExpectedConditions.textToBe(By.cssSelector(row + "[data-field='objects']"),
				String.valueOf(websites + 1)));

		registry.failRemovals(true);
		try {
			cluster.delete(doomed);
			String detail = "tr[data-detail='website'] ";
			WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(
					detail + "[data-section='errors'] tr[data-object='dashboard/doomed'] td[data-field='message']")));
			assertThat(error.getText()).contains("the registry refused to remove dashboard/doomed");
			wait.until(ExpectedConditions.textToBe(By.cssSelector(row + "td[data-field='failing']"), "1"));
			wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(
					detail + "[data-section='stuck'] tr[data-object='Website dashboard/doomed']")));
			wait.until(ExpectedConditions.textToBe(By.cssSelector(row + "td[data-field='stuck']"), "1"));
			assertThat(browser.findElement(By.cssSelector("tr[data-controller='website']")).getAttribute("class"))
					.contains("problem");
			assertThat(browser.executeScript("return window.dashboardTestMark;")).isEqualTo("unchanged page");
			screenshot(Path.of("target", "dashboard.png"));
		}
		finally {
			registry.failRemovals(false);
		}
		cluster.awaitDeleted(doomed);
		wait.until(ExpectedConditions.textToBe(By.cssSelector(row + "td[data-field='failing']"), "0"));
	}

	private int websiteCount() throws ApiException {
		GenericKubernetesApi<Website, WebsiteList> websites = new GenericKubernetesApi<>(Website.class,
				WebsiteList.class, "demo.kubecontroller.io", "v1", "websites", cluster.client());
		return websites.list().throwsApiException().getObject().getItems().size();
	}

	/** The whole page, not only the window: the viewport is made as tall as the page first. */
	private static void screenshot(Path file) throws Exception {
		long height = (Long) browser.executeScript("return Math.ceil(document.documentElement.scrollHeight);");
		browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", 1440,
				"height", Math.min(Math.max(height, 600), 4000), "deviceScaleFactor", 1, "mobile", false));
		Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
	}
}
