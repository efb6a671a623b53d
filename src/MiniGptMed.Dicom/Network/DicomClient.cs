using Microsoft.Extensions.Logging;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Network.Association;
using MiniGptMed.Dicom.Network.Dimse;
using MiniGptMed.Dicom.Network.Pdu;

namespace MiniGptMed.Dicom.Network;

/// <summary>The result of sending one file: the peer's status, or why it could not be sent.</summary>
public sealed record StoreOutcome(string Path, string SopInstanceUid, ushort? Status, string? Error)
{
    public bool Succeeded => Status is { } status && DimseStatus.IsSuccessOrWarning(status);
}

/// <summary>
/// A C-ECHO / C-STORE SCU (PS3.4 A and B). Each call opens one association, proposes what it needs, sends, and
/// releases. Data sets are streamed from their files; uncompressed files are transcoded (through a temporary file)
/// only when the peer accepted another uncompressed syntax.
/// </summary>
public sealed class DicomClient(string host, int port, string callingAeTitle, string calledAeTitle, AssociationOptions? options = null, ILogger? logger = null) : IDicomStoreClient
{
    private static readonly string[] NativeFallbacks = [DicomTransferSyntax.ExplicitVRLittleEndian.Uid, DicomTransferSyntax.ImplicitVRLittleEndian.Uid];

    /// <summary>When set, every association is DICOM TLS (PS3.15 B.9) with these trust anchors and our certificate.</summary>
    public Security.DicomTlsClientOptions? Tls { get; init; }

    public async Task<ushort> EchoAsync(CancellationToken cancellationToken = default)
    {
        var proposal = new AssociationProposal(calledAeTitle, callingAeTitle,
            [new PresentationContextRequestItem(1, DicomUid.Verification.Value, [DicomTransferSyntax.ImplicitVRLittleEndian.Uid])]);
        var handler = new ScuResponseHandler();
        var association = await DicomAssociation.ConnectAsync(host, port, proposal, handler, options, Tls, logger, cancellationToken).ConfigureAwait(false);
        await using (association.ConfigureAwait(false))
        {
            if (association.FindAcceptedContext(1) is null)
            {
                throw new InvalidOperationException("The peer did not accept the Verification SOP class.");
            }

            await association.SendMessageAsync(1, DimseCommand.EchoRequest(1).Encode(), null, cancellationToken).ConfigureAwait(false);
            var response = await handler.ReadResponseAsync(1, cancellationToken).ConfigureAwait(false);
            await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
            return response.Status;
        }
    }

    /// <summary>Sends <paramref name="files"/> on one association, in order; one outcome per file.</summary>
    public async Task<IReadOnlyList<StoreOutcome>> StoreAsync(IReadOnlyList<Part10Source> files, IProgress<StoreOutcome>? progress = null, CancellationToken cancellationToken = default)
    {
        var outcomes = new List<StoreOutcome>(files.Count);
        if (files.Count == 0)
        {
            return outcomes;
        }

        var handler = new ScuResponseHandler();
        var proposal = new AssociationProposal(calledAeTitle, callingAeTitle, Propose(files));
        try
        {
            var association = await DicomAssociation.ConnectAsync(host, port, proposal, handler, options, Tls, logger, cancellationToken).ConfigureAwait(false);
            await using (association.ConfigureAwait(false))
            {
                ushort messageId = 0;
                foreach (var file in files)
                {
                    messageId = (ushort)(messageId == ushort.MaxValue ? 1 : messageId + 1);
                    var outcome = await StoreOneAsync(association, handler, file, messageId, cancellationToken).ConfigureAwait(false);
                    outcomes.Add(outcome);
                    progress?.Report(outcome);
                }

                await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The answers already received stand (the peer has stored those instances): hand them back with the failure,
            // so a retry sends only the rest. A failed release after the last answer loses nothing either.
            if (outcomes.Count == files.Count)
            {
                return outcomes;
            }

            throw new StoreAssociationException($"The association with {calledAeTitle} at {host}:{port} failed after {outcomes.Count} of {files.Count} files: {ex.Message}", outcomes, ex);
        }

        return outcomes;
    }

    /// <summary>
    /// Per SOP class, one context per transfer syntax its files use (so each can be sent as is, as DCMTK storescu
    /// does), plus one with the uncompressed fallbacks where its files are uncompressed, for peers that accept only those.
    /// Compressed files have no fallback: there is no codec to transcode them.
    /// </summary>
    internal static List<PresentationContextRequestItem> Propose(IEnumerable<Part10Source> files)
    {
        var contexts = new List<PresentationContextRequestItem>();
        foreach (var byClass in files.GroupBy(f => f.SopClassUid, StringComparer.Ordinal))
        {
            var syntaxes = byClass.Select(f => f.TransferSyntax).DistinctBy(ts => ts.Uid).ToList();
            contexts.AddRange(syntaxes.Select(ts => new PresentationContextRequestItem(0, byClass.Key, [ts.Uid])));
            if (syntaxes.Any(ts => !ts.IsEncapsulated))
            {
                contexts.Add(new PresentationContextRequestItem(0, byClass.Key, NativeFallbacks));
            }
        }

        if (contexts.Count > PduLimits.MaxPresentationContexts)
        {
            throw new ArgumentException($"These files need {contexts.Count} presentation contexts; one association carries at most {PduLimits.MaxPresentationContexts}. Send them in smaller batches.", nameof(files));
        }

        return contexts.Select((c, i) => c with { Id = (byte)(2 * i + 1) }).ToList();
    }

    private static async Task<StoreOutcome> StoreOneAsync(DicomAssociation association, ScuResponseHandler handler, Part10Source file, ushort messageId, CancellationToken cancellationToken)
    {
        var candidates = association.PresentationContexts.Where(c => c.IsAccepted && c.AbstractSyntax == file.SopClassUid).ToList();
        var exact = candidates.FirstOrDefault(c => c.TransferSyntax == file.TransferSyntax.Uid);
        var transcodeTo = exact is null && !file.TransferSyntax.IsEncapsulated
            ? candidates.FirstOrDefault(c => DicomTransferSyntax.Lookup(c.TransferSyntax) is { IsEncapsulated: false, IsDeflated: false })
            : null;
        var context = exact ?? transcodeTo;
        if (context is null)
        {
            return new StoreOutcome(file.Path, file.SopInstanceUid, null, $"The peer accepted no context for {file.SopClassUid} in {file.TransferSyntax.Uid}.");
        }

        var command = DimseCommand.StoreRequest(messageId, file.SopClassUid, file.SopInstanceUid).Encode();
        var data = exact is not null ? OpenAsIs(file) : Transcode(file, DicomTransferSyntax.Lookup(context.TransferSyntax));
        await using (data.ConfigureAwait(false))
        {
            await association.SendMessageAsync(context.Id, command, data, cancellationToken).ConfigureAwait(false);
        }

        var response = await handler.ReadResponseAsync(messageId, cancellationToken).ConfigureAwait(false);
        return new StoreOutcome(file.Path, file.SopInstanceUid, response.Status, response.ErrorComment);
    }

    private static FileStream OpenAsIs(Part10Source file)
    {
        var stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        stream.Position = file.DataSetOffset;
        return stream;
    }

    private static FileStream Transcode(Part10Source file, DicomTransferSyntax target)
    {
        var source = DicomFile.Open(file.Path);
        var temp = new FileStream(System.IO.Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        DicomDatasetWriter.Write(temp, source.Dataset, target);
        temp.Flush();
        temp.Position = 0;
        return temp;
    }
}
