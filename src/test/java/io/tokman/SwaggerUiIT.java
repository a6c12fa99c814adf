package io.tokman;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Swagger UI driving the real endpoint in Debian's headless Chromium: skipped where it is
 * not installed, except in CI ({@code TOKMAN_REQUIRE_BROWSER}).
 */
@TokmanTest
class SwaggerUiIT {

	/**
	 * Debian's paths; TOKMAN_CHROMIUM and TOKMAN_CHROMEDRIVER name others (GitHub's
	 * runners).
	 */
	private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("TOKMAN_CHROMIUM", "/usr/bin/chromium"));

	private static final Path CHROMEDRIVER = Path
		.of(System.getenv().getOrDefault("TOKMAN_CHROMEDRIVER", "/usr/bin/chromedriver"));

	@LocalServerPort
	private int port;

	@Test
	void swaggerUiTryItOutGetsAToken() {
		boolean browser = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
		if (System.getenv("TOKMAN_REQUIRE_BROWSER") == null) {
			Assumptions.assumeTrue(browser, "Debian's chromium and chromium-driver are not installed");
		}
		assertThat(browser).as("chromium and chromedriver installed").isTrue();
		String repository = TestEnvironment.uniqueRepository("packit");
		ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
			.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
					"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage");
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(new File(CHROMEDRIVER.toString()))
			.build();
		WebDriver browserDriver = new ChromeDriver(service, options);
		try {
			WebDriverWait wait = new WebDriverWait(browserDriver, Duration.ofSeconds(30));
			browserDriver.get(url("/swagger-ui.html"));
			WebElement operation = wait.until(ExpectedConditions
				.elementToBeClickable(By.cssSelector("#operations-tokens-token .opblock-summary")));
			operation.click();
			wait.until(
					ExpectedConditions.elementToBeClickable(By.cssSelector("#operations-tokens-token .try-out__btn")))
				.click();
			fill(wait, "namespace", repository.substring(0, repository.indexOf('/')));
			fill(wait, "repository", repository.substring(repository.indexOf('/') + 1));
			browserDriver.findElement(By.cssSelector("#operations-tokens-token .execute")).click();
			WebElement status = wait.until(ExpectedConditions.visibilityOfElementLocated(
					By.cssSelector("#operations-tokens-token .live-responses-table .response .response-col_status")));
			assertThat(status.getText()).isEqualTo("200");
			String body = browserDriver
				.findElement(
						By.cssSelector("#operations-tokens-token .live-responses-table .response-col_description pre"))
				.getText();
			assertThat(body).contains("\"access_token\"").contains("ghs_");
			assertThat(TestEnvironment.GITHUB.tokenRequests(repository)).isEqualTo(1);
		}
		finally {
			browserDriver.quit();
		}
	}

	private static void fill(WebDriverWait wait, String parameter, String value) {
		WebElement input = wait.until(ExpectedConditions.elementToBeClickable(
				By.cssSelector("#operations-tokens-token tr[data-param-name='" + parameter + "'] input")));
		input.clear();
		input.sendKeys(value);
	}

	private String url(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

}
