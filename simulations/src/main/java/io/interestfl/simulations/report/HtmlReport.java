package io.interestfl.simulations.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import picocli.CommandLine;

/**
 * One self-contained HTML page for a researcher's run (no external file, no script, images embedded as data URIs):
 * the exact command line and when it ran, then headings, paragraphs, tables, preformatted text and plots. What
 * {@code evaluate --html}, {@code simulate privacy-sweep} and {@code simulate bandit --plot} write beside their
 * CSV and PNG.
 */
public final class HtmlReport {
  private final StringBuilder body = new StringBuilder();
  private final String title;

  public HtmlReport(String title) {
    this.title = title;
    body.append("<h1>").append(escape(title)).append("</h1>\n");
  }

  /** The command as typed (picocli's original arguments), with the time it ran: how to reproduce the page. */
  public HtmlReport command(CommandLine.Model.CommandSpec spec) {
    List<String> args = spec.commandLine().getParseResult().originalArgs();
    // the root's parse keeps every argument, subcommand names included; a command parsed on its own has only its own
    StringBuilder line = new StringBuilder("./interestfl");
    if (spec.parent() == null) {
      line.append(' ').append(spec.name());
    }
    args.forEach(a -> line.append(' ').append(a.matches("[A-Za-z0-9_./:=,@+-]+") ? a : "'" + a + "'"));
    body.append("<p class=\"cmd\">command: <code>").append(escape(line.toString())).append("</code><br>run at ")
        .append(Instant.now()).append("</p>\n");
    return this;
  }

  public HtmlReport heading(String text) {
    body.append("<h2>").append(escape(text)).append("</h2>\n");
    return this;
  }

  public HtmlReport paragraph(String text) {
    body.append("<p>").append(escape(text)).append("</p>\n");
    return this;
  }

  public HtmlReport pre(String text) {
    body.append("<pre>").append(escape(text)).append("</pre>\n");
    return this;
  }

  public HtmlReport table(List<String> headers, List<List<String>> rows) {
    body.append("<table><thead><tr>");
    headers.forEach(h -> body.append("<th>").append(escape(h)).append("</th>"));
    body.append("</tr></thead><tbody>\n");
    for (List<String> row : rows) {
      body.append("<tr>");
      row.forEach(c -> body.append(c.matches("[-+]?[0-9.,%]+(e[-+]?[0-9]+)?x?") ? "<td class=\"n\">" : "<td>")
          .append(escape(c)).append("</td>"));
      body.append("</tr>\n");
    }
    body.append("</tbody></table>\n");
    return this;
  }

  /** Embeds a PNG (missing file: a note instead). */
  public HtmlReport image(Path png, String alt) throws IOException {
    if (!Files.isRegularFile(png)) {
      return paragraph("(plot " + png + " was not written)");
    }
    body.append("<p><img alt=\"").append(escape(alt)).append("\" src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(Files.readAllBytes(png))).append("\"></p>\n");
    return this;
  }

  /**
   * A Markdown subset, as the commands write it: {@code #} headings, {@code |} tables (the separator row skipped),
   * {@code ![alt](file.png)} images relative to {@code dir} (embedded), other lines as paragraphs.
   */
  public HtmlReport markdown(String markdown, Path dir) throws IOException {
    List<String> lines = markdown.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("#")) {
        heading(line.replaceFirst("^#+\\s*", ""));
      } else if (line.startsWith("|")) {
        List<String> headers = cells(line);
        List<List<String>> rows = new java.util.ArrayList<>();
        while (i + 1 < lines.size() && lines.get(i + 1).strip().startsWith("|")) {
          String next = lines.get(++i).strip();
          if (!next.matches("\\|[\\s:|-]+\\|?")) {
            rows.add(cells(next));
          }
        }
        table(headers, rows);
      } else if (line.matches("!\\[[^]]*]\\([^)]+\\)")) {
        String alt = line.substring(2, line.indexOf(']'));
        String file = line.substring(line.indexOf('(') + 1, line.length() - 1);
        image(dir.resolve(file), alt);
      } else {
        paragraph(line.replace("`", "").replace("**", ""));
      }
    }
    return this;
  }

  private static List<String> cells(String row) {
    String inner = row.substring(1, row.endsWith("|") ? row.length() - 1 : row.length());
    return java.util.Arrays.stream(inner.split("\\|", -1)).map(String::strip)
        .map(c -> c.replace("`", "").replace("**", "")).toList();
  }

  public void write(Path file) throws IOException {
    String page = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
        + "</title>\n<style>body{font:14px/1.45 system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}"
        + "table{border-collapse:collapse;margin:.5em 0}td,th{padding:2px 10px;border-bottom:1px solid #ddd;"
        + "text-align:left}th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}"
        + "pre{background:#f7f7f7;padding:.6em;overflow:auto}img{max-width:100%}.cmd{color:#555}</style>"
        + "</head><body>\n" + body + "</body></html>\n";
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, page, StandardCharsets.UTF_8);
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
