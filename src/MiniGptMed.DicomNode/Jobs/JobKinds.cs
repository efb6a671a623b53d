namespace MiniGptMed.DicomNode.Jobs;

/// <summary>The kinds of work the node queues (<c>jobs.kind</c>); a handler per kind runs them.</summary>
public static class JobKinds
{
    /// <summary>Analyse a stable study (or series) with the rules of its listening AE.</summary>
    public const string Analyse = "analyse";

    /// <summary>Send one study's results to one destination.</summary>
    public const string Export = "export";

    /// <summary>Tell the reading worklist (FHIR, HL7 v2, webhook) what was found.</summary>
    public const string Notify = "notify";
}
