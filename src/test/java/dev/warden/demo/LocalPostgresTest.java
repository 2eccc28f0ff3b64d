package dev.warden.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class LocalPostgresTest {
    @Test
    void listensOnTheRequestedPortAndLeavesNothingBehind() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path directory;
        try (LocalPostgres postgres = LocalPostgres.start(port)) {
            directory = postgres.directory();
            assertThat(postgres.port()).isEqualTo(port);
            try (var entries = Files.list(directory)) {
                // The superuser's password file is gone once initdb has read it.
                assertThat(entries.map(entry -> entry.getFileName().toString())).containsExactly("data");
            }
            try (Connection connection = postgres.superuserConnection("postgres")) {
                assertThat(connection.isValid(5)).isTrue();
            }
        }
        assertThat(directory).doesNotExist();
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            }
        }).isInstanceOf(IOException.class);
    }

    @Test
    void rejectsImpossiblePorts() {
        assertThatThrownBy(() -> LocalPostgres.start(70_000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRoleWithoutPasswordCannotLogIn() throws Exception {
        try (LocalPostgres postgres = LocalPostgres.start(0)) {
            try (Connection connection = postgres.superuserConnection("postgres");
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE ROLE nopassword LOGIN");
            }
            assertThatThrownBy(() -> postgres.connect("postgres", "nopassword", "").close())
                    .isInstanceOf(SQLException.class);
        }
    }
}
