package io.interestfl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class InputErrorHandlerTest {

  @Command(name = "load")
  static final class Failing implements Callable<Integer> {
    @Option(names = "--bug") boolean bug;

    @Override
    public Integer call() {
      if (bug) {
        throw new NullPointerException("a bug");
      }
      throw new UncheckedIOException("cannot read /data/x.csv: no such file",
          new NoSuchFileException("/data/x.csv"));
    }
  }

  @Test
  void anInputErrorIsOneLineNamingTheFileAndExitCode2() {
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Failing()).setExecutionExceptionHandler(new InputErrorHandler());
    cl.setErr(new PrintWriter(err, true));
    assertEquals(InputErrorHandler.INPUT_ERROR, cl.execute());
    assertEquals("load: cannot read /data/x.csv: no such file", err.toString().strip());
  }

  @Test
  void aBugKeepsItsStackTrace() {
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Failing()).setExecutionExceptionHandler(new InputErrorHandler());
    cl.setErr(new PrintWriter(err, true));
    // picocli's default: the exception rethrown by the handler is printed with its trace, exit code 1
    assertEquals(1, cl.execute("--bug"));
    assertTrue(err.toString().contains("NullPointerException: a bug") && err.toString().contains("\tat "),
        err.toString());
  }

  @Test
  void causesRepeatingTheirParentAreNotRepeated() {
    IllegalArgumentException e = new IllegalArgumentException("config.yaml: rounds must be > 0",
        new IllegalArgumentException("rounds must be > 0"));
    assertEquals("config.yaml: rounds must be > 0", InputErrorHandler.describe(e));
    assertEquals("evaluate failed: no such file: /x",
        InputErrorHandler.describe(new IllegalStateException("evaluate failed", new NoSuchFileException("/x"))));
    RuntimeException bug = new RuntimeException("x");
    assertSame(bug, assertThrows(RuntimeException.class,
        () -> new InputErrorHandler().handleExecutionException(bug, new CommandLine(new Failing()), null)));
  }
}
