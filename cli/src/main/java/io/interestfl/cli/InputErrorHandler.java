package io.interestfl.cli;

import io.interestfl.interest.data.MalformedDataException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Errors of the user's input (a missing or unreadable file, a malformed row, a wrong option value) end a command
 * with one line that names the problem, and exit code 2, as picocli does for bad options; anything else is a bug
 * and keeps its stack trace. {@code INTERESTFL_DEBUG=1} prints the stack trace of input errors too.
 */
final class InputErrorHandler implements IExecutionExceptionHandler {
  static final int INPUT_ERROR = 2;

  @Override
  public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) throws Exception {
    if (!isInputError(e)) {
      throw e;
    }
    if ("1".equals(System.getenv("INTERESTFL_DEBUG"))) {
      e.printStackTrace();
    }
    command.getErr().println(command.getCommandSpec().qualifiedName() + ": " + describe(e));
    return INPUT_ERROR;
  }

  /**
   * Input errors: bad arguments and unreadable or malformed files. Not {@link IllegalStateException}: it says the
   * program reached a state it should not, a bug whose trace is wanted.
   */
  static boolean isInputError(Throwable e) {
    return e instanceof IllegalArgumentException || e instanceof IOException || e instanceof UncheckedIOException
        || e instanceof MalformedDataException;
  }

  /** The message and its causes' messages, most general first, without repeating one that the next contains. */
  static String describe(Throwable e) {
    StringBuilder out = new StringBuilder();
    String previous = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      if (previous != null && previous.contains(m)) {
        continue;
      }
      if (t instanceof java.nio.file.NoSuchFileException) {
        m = "no such file: " + m;
      }
      out.append(out.length() == 0 ? "" : ": ").append(m);
      previous = m;
    }
    return out.toString();
  }
}
