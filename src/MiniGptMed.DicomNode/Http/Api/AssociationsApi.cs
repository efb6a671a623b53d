using MiniGptMed.DicomNode.Reception;

namespace MiniGptMed.DicomNode.Http.Api;

/// <summary><c>/api/associations</c>: the DICOM associations open now (calling and called AE, peer, TLS, since when).</summary>
internal static class AssociationsApi
{
    public static RouteGroupBuilder MapAssociationsApi(this RouteGroupBuilder api)
    {
        api.MapGroup("/associations").WithTags("Associations")
            .MapGet("/", (AssociationRegistry registry) => TypedResults.Ok(registry.Current))
            .WithSummary("The associations open now on this node.");
        return api;
    }
}
