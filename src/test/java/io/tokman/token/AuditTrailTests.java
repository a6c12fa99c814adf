package io.tokman.token;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tokman.TestClient;
import io.tokman.TestEnvironment;
import io.tokman.TokmanTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit trail records evidence, not repetition: a token served to the same client
 * from the same address is one line the first time, and its repeats one summary line.
 */
@TokmanTest
@ExtendWith(OutputCaptureExtension.class)
class AuditTrailTests {

	@LocalServerPort
	private int port;

	@Autowired
	private TokenAudit audit;

	@Test
	void aTokenServedAgainIsCountedNotWrittenAgainAndAnotherAddressIsALineOfItsOwn(CapturedOutput output)
			throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		String token = TestClient.token(this.port, repository);
		for (int i = 0; i < 5; i++) {
			assertThat(TestClient.token(this.port, repository)).isEqualTo(token);
		}
		String line = "client=anonymous remote=127.0.0.1 repository=" + repository.toLowerCase();
		assertThat(count(output.getAll(), "tokman\\.audit +: " + line + " outcome=minted")).isEqualTo(1);
		assertThat(count(output.getAll(), "tokman\\.audit\\.served +: " + line)).isZero();
		for (int i = 0; i < 3; i++) {
			assertThat(tokenFrom("127.0.0.2", repository)).contains(token);
		}
		assertThat(count(output.getAll(), "tokman\\.audit\\.served +: client=anonymous remote=127.0.0.2 repository="
				+ repository.toLowerCase() + " outcome=served "))
			.isEqualTo(1);

		this.audit.summarize();

		// Per client and scope, whatever the address: 5 repeats from one, 2 from the
		// other,
		// the last address named.
		assertThat(count(output.getAll(),
				"tokman\\.audit\\.summary +: client=anonymous remote=127.0.0.2 repository=" + repository.toLowerCase()
						+ " outcome=served-again count=7 first=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ last=\\S+Z "
						+ "token_sha256=" + "\\p{XDigit}{16} kind=repository"))
			.isEqualTo(1);
	}

	/**
	 * The answer to a GET of the repository's token sent from another loopback address.
	 */
	private String tokenFrom(String address, String repository) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port, InetAddress.getByName(address),
				0)) {
			socket.getOutputStream()
				.write(("GET /api/" + repository + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
					.getBytes(StandardCharsets.ISO_8859_1));
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
		}
	}

	private static int count(String text, String pattern) {
		Matcher matcher = Pattern.compile(pattern).matcher(text);
		int count = 0;
		while (matcher.find()) {
			count++;
		}
		return count;
	}

}
