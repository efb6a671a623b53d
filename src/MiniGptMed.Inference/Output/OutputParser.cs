using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MiniGptMed.Inference.Output;

/// <summary>
/// Takes MiniGPT-Med's answer apart (MODEL.md "Output"): <c>&lt;p&gt;phrase&lt;/p&gt; {&lt;x1&gt;&lt;y1&gt;&lt;x2&gt;&lt;y2&gt;}</c>,
/// several boxes of one phrase joined by <c>&lt;delim&gt;</c>, bare boxes for refer. Never throws on
/// model output: a half box or junk is dropped from the findings and named in Problems.
/// </summary>
public static partial class OutputParser
{
    // One alternative per syntactic element, tried left to right at each position.
    [GeneratedRegex(
        @"(?<phrase><p>(?<ptext>.*?)</p>)" +
        @"|(?<box>\{<(?<x1>\d{1,3})><(?<y1>\d{1,3})><(?<x2>\d{1,3})><(?<y2>\d{1,3})>\})" +
        @"|(?<delim><delim>)" +
        @"|(?<bad>\{[^\s{}]*\}?|</?p>|<\d+>)",
        RegexOptions.CultureInvariant | RegexOptions.Singleline, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Elements();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Spaces();

    [GeneratedRegex(@"\s+([.,;:?!])", RegexOptions.CultureInvariant)]
    private static partial Regex SpaceBeforePunctuation();

    /// <summary>Parses the decoded answer; boxes are also mapped to a <paramref name="width"/> x <paramref name="height"/> source image.</summary>
    public static ParsedOutput Parse(string raw, int width, int height)
    {
        var problems = new List<string>();
        var (text, origin) = Truncate(raw ?? "");
        var findings = new List<(string? Phrase, List<NormalizedBox> Boxes, List<Range> Spans)>();
        var clean = new StringBuilder();
        (string? Phrase, List<NormalizedBox> Boxes, List<Range> Spans)? open = null;
        int last = 0;
        bool delimPending = false;

        foreach (Match m in Elements().Matches(text))
        {
            var gap = text[last..m.Index];
            clean.Append(gap);
            if (!string.IsNullOrWhiteSpace(gap))
            {
                open = null; // words between a phrase and a box: the box is not that phrase's
                delimPending = false;
            }

            last = m.Index + m.Length;
            if (m.Groups["phrase"].Success)
            {
                var phrase = m.Groups["ptext"].Value.Trim();
                if (phrase.Contains('<', StringComparison.Ordinal) || phrase.Contains('{', StringComparison.Ordinal))
                {
                    problems.Add($"phrase with markup dropped: '{m.Value}'");
                    continue;
                }

                clean.Append(phrase);
                var finding = (phrase.Length == 0 ? null : phrase, new List<NormalizedBox>(), new List<Range> { Span(m, origin) });
                findings.Add(finding);
                open = finding;
                delimPending = false;
            }
            else if (m.Groups["box"].Success)
            {
                var box = ReadBox(m, problems);
                if (open is { } f && (f.Boxes.Count == 0 || delimPending))
                {
                    f.Boxes.Add(box);
                    f.Spans.Add(Span(m, origin));
                }
                else
                {
                    var bare = ((string?)null, new List<NormalizedBox> { box }, new List<Range> { Span(m, origin) });
                    findings.Add(bare);
                    open = bare;
                }

                delimPending = false;
            }
            else if (m.Groups["delim"].Success)
            {
                if (open is null)
                {
                    problems.Add("<delim> without a box before it");
                }
                else
                {
                    open.Value.Spans.Add(Span(m, origin));
                }

                delimPending = true;
            }
            else
            {
                problems.Add($"malformed box or tag dropped: '{m.Value}'");
            }
        }

        clean.Append(text[last..]);
        var cleanText = SpaceBeforePunctuation().Replace(Spaces().Replace(clean.ToString(), " "), "$1").Trim();
        var result = findings
            .Select(f => new Finding(f.Phrase, f.Boxes, f.Boxes.Select(b => b.ToPixels(width, height)).ToList()) { SourceSpans = f.Spans })
            .ToList();
        return new ParsedOutput(raw ?? "", cleanText, result, problems);
    }

    /// <summary>
    /// MODEL.md: the answer ends at EOS; anything after <c>[/INST]</c> or <c>&lt;/s&gt;</c> is not answer, and a literal
    /// <c>&lt;s&gt;</c> is dropped. <c>origin[i]</c> is the index in the raw text of the kept character i, so a finding's
    /// place can be named in the raw text (and from there in tokens, for its confidence).
    /// </summary>
    private static (string Text, int[] Origin) Truncate(string raw)
    {
        var end = raw.Length;
        foreach (var stop in new[] { "</s>", "[/INST]" })
        {
            var at = raw.IndexOf(stop, 0, end, StringComparison.Ordinal);
            if (at >= 0)
            {
                end = at;
            }
        }

        var text = new StringBuilder(end);
        var origin = new List<int>(end + 1);
        for (int i = 0; i < end;)
        {
            if (i + 3 <= end && string.CompareOrdinal(raw, i, "<s>", 0, 3) == 0)
            {
                i += 3;
                continue;
            }

            text.Append(raw[i]);
            origin.Add(i);
            i++;
        }

        origin.Add(end);
        return (text.ToString(), origin.ToArray());
    }

    /// <summary>The match's characters as a range of the raw text.</summary>
    private static Range Span(Match m, int[] origin) => new(origin[m.Index], origin[m.Index + m.Length - 1] + 1);

    private static NormalizedBox ReadBox(Match m, List<string> problems)
    {
        int Value(string group)
        {
            var v = int.Parse(m.Groups[group].Value, NumberStyles.None, CultureInfo.InvariantCulture);
            if (v > 100)
            {
                problems.Add($"box value {v} in '{m.Value}' clamped to 100");
                return 100;
            }

            return v;
        }

        int x1 = Value("x1"), y1 = Value("y1"), x2 = Value("x2"), y2 = Value("y2");
        if (x1 > x2 || y1 > y2)
        {
            problems.Add($"box corners reordered in '{m.Value}'");
        }

        return new NormalizedBox(Math.Min(x1, x2), Math.Min(y1, y2), Math.Max(x1, x2), Math.Max(y1, y2));
    }
}
