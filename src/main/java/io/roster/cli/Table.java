package io.roster.cli;

import java.util.ArrayList;
import java.util.List;

/** An ASCII table as etcdctl prints with {@code -w table}: centred headers, left-aligned cells. */
public final class Table {

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... headers) {
        this.headers = List.of(headers);
    }

    public Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + headers.size() + " columns");
        }
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            row.add(cell == null ? "" : cell.toString());
        }
        rows.add(row);
        return this;
    }

    public List<List<String>> rows() {
        return rows;
    }

    public String render() {
        int[] widths = new int[headers.size()];
        for (int column = 0; column < widths.length; column++) {
            widths[column] = headers.get(column).length();
            for (List<String> row : rows) {
                widths[column] = Math.max(widths[column], row.get(column).length());
            }
        }
        StringBuilder out = new StringBuilder();
        String border = border(widths);
        out.append(border);
        out.append('|');
        for (int column = 0; column < widths.length; column++) {
            String header = headers.get(column);
            int space = widths[column] - header.length();
            out.append(' ').append(" ".repeat(space / 2)).append(header).append(" ".repeat(space - space / 2)).append(" |");
        }
        out.append(System.lineSeparator()).append(border);
        for (List<String> row : rows) {
            out.append('|');
            for (int column = 0; column < widths.length; column++) {
                String cell = row.get(column);
                out.append(' ').append(cell).append(" ".repeat(widths[column] - cell.length())).append(" |");
            }
            out.append(System.lineSeparator());
        }
        if (!rows.isEmpty()) {
            out.append(border);
        }
        return out.toString();
    }

    private static String border(int[] widths) {
        StringBuilder line = new StringBuilder("+");
        for (int width : widths) {
            line.append("-".repeat(width + 2)).append('+');
        }
        return line.append(System.lineSeparator()).toString();
    }
}
