namespace MiniGptMed.DicomNode.Assembly;

/// <summary>Case-insensitive glob matching (<c>*</c> any run, <c>?</c> one character), without regular expressions (AOT, no backtracking blow-up).</summary>
internal static class Glob
{
    public static bool Matches(string pattern, string value)
    {
        // The classic two-pointer algorithm: on a mismatch, return to the last star and let it take one more character.
        int p = 0, v = 0, star = -1, mark = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || char.ToUpperInvariant(pattern[p]) == char.ToUpperInvariant(value[v])))
            {
                p++;
                v++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = v;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    /// <summary>True when <paramref name="patterns"/> is empty or one of them matches (null values match the empty pattern only).</summary>
    public static bool AnyMatches(IReadOnlyList<string> patterns, string? value)
    {
        if (patterns.Count == 0)
        {
            return true;
        }

        var v = (value ?? string.Empty).Trim();
        foreach (var pattern in patterns)
        {
            if (Matches(pattern.Trim(), v))
            {
                return true;
            }
        }

        return false;
    }
}
