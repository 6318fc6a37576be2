package com.example.operator;

import org.springframework.boot.SpringApplication;

/**
 * Runs the operator on the embedded API server emulator, from the test class path: {@code ./mvnw spring-boot:test-run}.
 */
public class TestOperatorApplication {

	public static void main(String[] args) {
		SpringApplication.from(OperatorApplication::main)
				.withAdditionalProfiles("emulator")
				.run(args);
	}
}
