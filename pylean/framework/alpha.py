"""Alpha model bases (Algorithm/Alphas/): AlphaModel, NullAlphaModel, CompositeAlphaModel.

An alpha model turns data into insights. Users subclass AlphaModel (or the interface name IAlphaModel) and
override `update` and `on_securities_changed`, in either spelling."""
from __future__ import annotations

import uuid
from typing import Any

from pylean.naming import lean_api, user_method


def model_name(model: Any) -> str:
    """Lean's GetModelName: the model's `name` (either spelling) when it has one, else its class name."""
    for attribute in ("name", "Name"):
        value = getattr(model, attribute, None)
        if isinstance(value, str) and value:
            return value
    return type(model).__name__


@lean_api
class AlphaModel:
    """Base of alpha models. `name` defaults to a new GUID, as Lean's."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    @property
    def name(self) -> str:
        found = self.__dict__.get("_pylean_alpha_name")
        if found is None:
            found = self.__dict__["_pylean_alpha_name"] = str(uuid.uuid4())
        return found

    @name.setter
    def name(self, value: str) -> None:
        self.__dict__["_pylean_alpha_name"] = value

    def update(self, algorithm: Any, data: Any) -> list[Any]:
        raise NotImplementedError("Types deriving from 'AlphaModel' must implement the "
                                  "'IEnumerable<Insight> Update(QCAlgorithm, Slice) method.")

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        pass


IAlphaModel = AlphaModel


@lean_api
class NullAlphaModel(AlphaModel):
    """Emits nothing (the framework's default)."""

    def update(self, algorithm: Any, data: Any) -> list[Any]:
        return []


@lean_api
class CompositeAlphaModel(AlphaModel):
    """Runs several alpha models in order; an insight without a source model gets its model's name."""

    def __init__(self, *alpha_models: Any) -> None:
        super().__init__()
        if len(alpha_models) == 1 and isinstance(alpha_models[0], (list, tuple)):
            alpha_models = tuple(alpha_models[0])
        if not alpha_models:
            raise ValueError("Must specify at least 1 alpha model for the CompositeAlphaModel")
        self.__dict__["_pylean_alpha_models"] = list(alpha_models)

    def update(self, algorithm: Any, data: Any) -> list[Any]:
        produced = []
        for model in self.__dict__["_pylean_alpha_models"]:
            name = model_name(model)
            for insight in user_method(model, "update")(algorithm, data) or []:
                if not insight.source_model:
                    insight.source_model = name
                produced.append(insight)
        return produced

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        for model in self.__dict__["_pylean_alpha_models"]:
            user_method(model, "on_securities_changed")(algorithm, changes)

    def add_alpha(self, alpha_model: Any) -> None:
        self.__dict__["_pylean_alpha_models"].append(alpha_model)
