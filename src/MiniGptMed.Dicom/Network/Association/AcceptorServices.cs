using Microsoft.Extensions.Logging;

namespace MiniGptMed.Dicom.Network.Association;

/// <summary>What the acceptor side of an association consults: policy, negotiation, handlers, limits.</summary>
internal sealed record AcceptorServices(
    IAssociationPolicy Policy,
    PresentationContextNegotiator Negotiator,
    IPresentationDataHandlerFactory Handlers,
    AssociationOptions Options,
    ILogger Logger,
    bool OverLimit);
